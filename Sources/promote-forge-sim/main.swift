import ForgeSim

print("promote-forge-sim: the stand-in forge is not built yet")
