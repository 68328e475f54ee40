"""The canonical Python SageMaker serving stack's predictor, written for byoe's benchmark.

Architecture of AWS's "scikit_bring_your_own" example: Flask app under gunicorn behind nginx,
the model loaded once per worker, text/csv parsed with pandas. The model here is an XGBoost
booster, as in the SageMaker XGBoost container. /constant answers without touching the model
(the stack's own floor).
"""
import io
import os

import flask
import pandas as pd
import xgboost as xgb

MODEL_PATH = os.environ.get("MODEL_PATH", "/opt/ml/model/xgboost-model.json")


class ScoringService:
    model = None

    @classmethod
    def get_model(cls):
        if cls.model is None:
            booster = xgb.Booster()
            booster.load_model(MODEL_PATH)
            threads = os.environ.get("XGBOOST_NTHREAD")
            if threads:
                booster.set_param({"nthread": int(threads)})
            cls.model = booster
        return cls.model


app = flask.Flask(__name__)


@app.route("/ping", methods=["GET"])
def ping():
    healthy = ScoringService.get_model() is not None
    return flask.Response(response="\n", status=200 if healthy else 404, mimetype="application/json")


@app.route("/constant", methods=["GET", "POST"])
def constant():
    return flask.Response(response="0.5\n", status=200, mimetype="text/csv")


@app.route("/invocations", methods=["POST"])
def invocations():
    if flask.request.content_type != "text/csv":
        return flask.Response(response="This predictor only supports CSV data", status=415, mimetype="text/plain")
    data = pd.read_csv(io.StringIO(flask.request.data.decode("utf-8")), header=None)
    predictions = ScoringService.get_model().predict(xgb.DMatrix(data.values))
    out = io.StringIO()
    pd.DataFrame({"results": predictions}).to_csv(out, header=False, index=False)
    return flask.Response(response=out.getvalue(), status=200, mimetype="text/csv")
