import ArgumentParser
import PromoteCLI

await PromoteCommand.main()
