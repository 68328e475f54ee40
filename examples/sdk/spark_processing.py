"""Drain over large logs on SageMaker's Spark processing container, with the SageMaker Python SDK (v2).

byoe's Spark job is dist/byoe-spark.jar (`make build`): Spark comes from the container
(sagemaker-spark-processing 3.5: Spark 3.5.6, Scala 2.12, Java 17), the jar brings only byoe.
It writes what `byoe process` writes (sessions.csv, event_counts.csv, templates.csv, drain.json,
structured.csv, summary.json), so the training job takes the output prefix unchanged.
    pip install -r examples/sdk/requirements.txt      # sagemaker>=2.200,<3
Fill in the values below, then run from the repository root:  python3 examples/sdk/spark_processing.py
"""
import pathlib

import boto3
import sagemaker

if not sagemaker.__version__.startswith("2."):
    raise SystemExit(f"this script needs SageMaker SDK v2 (sagemaker>=2.200,<3); found {sagemaker.__version__}")
from sagemaker.processing import ProcessingInput, ProcessingOutput
from sagemaker.spark.processing import SparkJarProcessor

ACCOUNT_ID = "123456789012"          # your AWS account
REGION = "eu-west-1"                 # where the bucket and the job live
ROLE_ARN = f"arn:aws:iam::{ACCOUNT_ID}:role/MySageMakerRole"
BUCKET = "my-bucket"
RAW_LOGS = f"s3://{BUCKET}/byoe/hdfs/raw/"                     # the log files, any number, .gz or not
LABELS = f"s3://{BUCKET}/byoe/hdfs/labels/HDFS_block_labels.csv"  # optional: SessionId,Label

ROOT = pathlib.Path(__file__).resolve().parents[2]
session = sagemaker.Session(boto3.Session(region_name=REGION))

spark = SparkJarProcessor(
    base_job_name="byoe-hdfs-spark",
    framework_version="3.5",
    role=ROLE_ARN,
    instance_count=3,
    instance_type="ml.m5.2xlarge",
    max_runtime_in_seconds=7200,
    sagemaker_session=session,
)
spark.run(
    submit_app=str(ROOT / "dist/byoe-spark.jar"),
    submit_class="dev.byoe.spark.SparkProcessJob",
    # The options of `byoe process`; --partitions sets the parallelism of learning and labelling.
    arguments=[
        "--preset", "hdfs",
        "--input", "/opt/ml/processing/input/logs",
        "--labels", "/opt/ml/processing/input/labels/HDFS_block_labels.csv",
        "--output", "/opt/ml/processing/output/events",
        "--partitions", "24",
    ],
    inputs=[
        ProcessingInput(input_name="logs", source=RAW_LOGS, destination="/opt/ml/processing/input/logs"),
        ProcessingInput(input_name="labels", source=LABELS, destination="/opt/ml/processing/input/labels"),
    ],
    outputs=[
        ProcessingOutput(
            output_name="events",
            source="/opt/ml/processing/output/events",
            destination=f"s3://{BUCKET}/byoe/hdfs/processed-spark/",
        )
    ],
)
print("sessions, templates and drain.json in", f"s3://{BUCKET}/byoe/hdfs/processed-spark/")
