import predictor as app_module

app = app_module.app
