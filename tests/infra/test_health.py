"""/healthz reports the database and Redis."""


def test_healthz_reports_both_stores_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_healthz_is_503_when_redis_is_unreachable(app, client):
    import redis
    app.extensions["redis"] = redis.Redis(unix_socket_path="/nonexistent/redis.sock")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("error")
