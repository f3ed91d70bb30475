"""/n/<token>: a notice's whole text, the page a template message links (its keywords hold
about 20 characters). The token is signed; a bad or old one gets a page saying so, not an error."""
from flask import current_app, render_template

from miniapp_backend.clock import format_local, utcnow
from miniapp_backend.pages import bp
from miniapp_backend.services import notice_inbox
from miniapp_backend.services.errors import NotFound
from miniapp_backend.services.notice_links import LinkExpired, LinkRefused

# The text is the person's own (remarks on their application): kept out of caches, referrers
# and search engines.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


@bp.get("/n/<token>")
def notice(token):
    """The notice a template message links, marked read."""
    try:
        entry = notice_inbox.read_by_link(current_app.config["ZGZJ"].secret_key, token, utcnow())
    except LinkExpired as refused:
        return render_template("pages/notice_link.html", heading=refused.message, expired=True), 410, PRIVATE
    except LinkRefused as refused:
        return render_template("pages/notice_link.html", heading=refused.message, expired=False), 404, PRIVATE
    except NotFound:
        return render_template("pages/notice_link.html", heading="这条通知已不存在", expired=False), 404, PRIVATE
    return render_template("pages/notice.html", notice=entry, created=format_local(entry.created_at)), 200, PRIVATE
