"""gunicorn's settings for the web app; gunicorn reads this file when started from the project
root (`gunicorn wsgi:app`); elsewhere pass `-c <root>/gunicorn.conf.py`.

The app is built once, in the master, and the workers fork from it: they share its pages
(code, forms, routes) instead of each importing its own copy. On the 2-core benchmark that
cut the CPU a /wechat message costs by about 15% (bench/chat.py). Nothing connects while the
app is built: each worker opens its own database and Redis connections on first use
(miniapp_backend/db.py keys databases by pid; redis-py and redis_scripts reconnect after a fork).
A code change therefore needs a restart, not a HUP.
"""
preload_app = True


def pre_fork(server, worker):
    """In the master, before each worker forks: read the form files (about 170 ms), which
    every chat message needs, so that the workers share one copy and none makes its first
    user wait while it parses its own."""
    from miniapp_backend.forms.catalog import FormCatalog
    catalog = FormCatalog()
    for year in catalog.years():
        catalog.for_year(year)
