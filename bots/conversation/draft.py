"""What one turn reads of the application in hand, each thing read once.

Answering an item asks for the same answer and photo count several times (to check the
revision, to confirm, to decide where to go, to ask the next question); the database is asked
once per turn. The turn's own writes pass through `wrote` and `photos_changed`, so what it
reads stays true; the next turn starts afresh.
"""
from miniapp_backend.models import Answer
from miniapp_backend.models.chat_media import ChatMedia
from miniapp_backend.services import permissions, review

UNREAD = object()


class DraftReads:
    """The application and its answers and photo counts as read in this turn."""

    def __init__(self, application):
        self.application = application
        self._answers, self._photos = {}, None
        self._returned = self._may_fill = UNREAD

    def expect(self, key, other_key):
        """Read two answers this turn will ask for (say, an item and the next) in one query."""
        if key in self._answers or other_key in self._answers:
            return
        found = {a.key: a for a in Answer.for_two_keys(self.application.id, key, other_key)}
        self._answers[key], self._answers[other_key] = found.get(key), found.get(other_key)

    def may_fill(self, person):
        """Whether `person` may still fill for the application's org (an admin may have removed
        their binding since the position was saved); the engine asks first, writes reuse it."""
        if self._may_fill is UNREAD:
            self._may_fill = permissions.can_fill(person, self.application.org_id)
        return self._may_fill

    def answer(self, key):
        """The stored Answer row for `key`, or None."""
        if key not in self._answers:
            self._answers[key] = Answer.for_key(self.application.id, key)
        return self._answers[key]

    def value(self, key):
        """The stored value for `key`, or None."""
        answer = self.answer(key)
        return answer.value if answer else None

    def wrote(self, key, answer):
        """This turn stored `answer` (None: cleared or absent) for `key`."""
        self._answers[key] = answer

    def forget(self, key):
        """`key` changed elsewhere meanwhile: read it again when asked."""
        self._answers.pop(key, None)

    def photos(self, slot):
        """Photos of a slot: attached plus still downloading."""
        if self._photos is None:
            self._photos = ChatMedia.photo_counts(self.application)
        return self._photos.held(slot)

    def returned_by(self):
        """The review step that returned the application for 整改, or None (no query for a draft)."""
        if self._returned is UNREAD:
            self._returned = review.returned_by(self.application)
        return self._returned

    def photos_changed(self):
        """This turn received or shared a photo."""
        self._photos = None
