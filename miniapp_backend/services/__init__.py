"""Domain services: plain Python over the models; no Flask, WeChat or rq inside."""
