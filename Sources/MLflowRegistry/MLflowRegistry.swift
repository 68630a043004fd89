/// The MLflow model registry over its REST API (`/api/2.0/mlflow/...`), through CurlHTTP.
public enum MLflowRegistry {}
