"""Train, tune and deploy the byoe image with the SageMaker Python SDK (v2).

Needs SageMaker SDK v2 (v3 dropped Estimator, Model and Predictor):
    pip install -r examples/sdk/requirements.txt      # sagemaker>=2.200,<3
Fill in the four values below, push the image first (`make push`), then run from the repository
root:  python3 examples/sdk/train_tune_deploy.py
"""
import json
import pathlib

import boto3
import sagemaker

if not sagemaker.__version__.startswith("2."):
    raise SystemExit(f"this script needs SageMaker SDK v2 (sagemaker>=2.200,<3); found {sagemaker.__version__}")
from sagemaker.deserializers import JSONDeserializer
from sagemaker.estimator import Estimator
from sagemaker.inputs import TrainingInput
from sagemaker.serializers import CSVSerializer
from sagemaker.serverless import ServerlessInferenceConfig
from sagemaker.tuner import ContinuousParameter, HyperparameterTuner, IntegerParameter

ACCOUNT_ID = "123456789012"          # your AWS account
REGION = "eu-west-1"                 # where the image, the bucket and the jobs live
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/MySageMakerRole"
BUCKET = "my-bucket"

IMAGE = f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/byoe:latest"
ROOT = pathlib.Path(__file__).resolve().parents[2]
# The regexes byoe's training prints match: `java -jar dist/byoe.jar metric-definitions` wrote this file.
METRICS = json.loads((ROOT / "examples/metric-definitions/regression.json").read_text())

session = sagemaker.Session(boto3.Session(region_name=REGION))
train_s3 = session.upload_data(str(ROOT / "data/diabetes.csv"), bucket=BUCKET, key_prefix="byoe/diabetes/train")
train = {"train": TrainingInput(train_s3, content_type="text/csv")}

# One training job: XGBoost + CatBoost, 5-fold cross-validation, one validation-rmse line.
estimator = Estimator(
    image_uri=IMAGE,
    role=ROLE_ARN,
    instance_count=1,
    instance_type="ml.m5.large",
    output_path=f"s3://{BUCKET}/byoe/output",
    metric_definitions=METRICS,
    hyperparameters={"target_column": "target", "objective": "regression"},
    sagemaker_session=session,
)
estimator.fit(train)

# A tuning job over shared and member-specific hyperparameters.
tuner = HyperparameterTuner(
    estimator,
    objective_metric_name="validation:rmse",
    objective_type="Minimize",
    metric_definitions=METRICS,
    hyperparameter_ranges={
        "max_depth": IntegerParameter(2, 8),
        "num_round": IntegerParameter(50, 400),
        "eta": ContinuousParameter(0.01, 0.3, scaling_type="Logarithmic"),
        "catboost.weight": ContinuousParameter(0.25, 4, scaling_type="Logarithmic"),
    },
    max_jobs=20,
    max_parallel_jobs=2,
)
tuner.fit(train)
best = tuner.best_estimator()

# A real-time endpoint.
realtime = best.deploy(
    initial_instance_count=1,
    instance_type="ml.c5.large",
    endpoint_name="byoe-diabetes-realtime",
    serializer=CSVSerializer(),
    deserializer=JSONDeserializer(),
)
print(realtime.predict("59,2,32.1,101,157,93.2,38,4,4.8598,87", initial_args={"Accept": "application/json"}))

# A serverless endpoint from the same model (1 GB is enough for the tabular ensemble).
serverless = best.deploy(
    serverless_inference_config=ServerlessInferenceConfig(memory_size_in_mb=1024, max_concurrency=5),
    endpoint_name="byoe-diabetes-serverless",
    serializer=CSVSerializer(),
    deserializer=JSONDeserializer(),
)
print(serverless.predict("59,2,32.1,101,157,93.2,38,4,4.8598,87", initial_args={"Accept": "application/json"}))

# Clean up when done:
# realtime.delete_endpoint(); serverless.delete_endpoint()
