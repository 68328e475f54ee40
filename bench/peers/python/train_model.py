"""Trains the peer's XGBoost model with the same rounds, depth and learning rate as byoe's member."""
import sys

import pandas as pd
import xgboost as xgb

data, out = sys.argv[1], sys.argv[2]
frame = pd.read_csv(data)
x, y = frame.iloc[:, :-1].values, frame.iloc[:, -1].values
params = {"objective": "reg:squarederror", "max_depth": 6, "eta": 0.1, "seed": 42, "tree_method": "hist"}
booster = xgb.train(params, xgb.DMatrix(x, label=y), num_boost_round=100)
booster.save_model(out)
