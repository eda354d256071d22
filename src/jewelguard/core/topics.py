"""Who may follow which topic: one check per topic kind, registered by the room that owns it.

A topic is ``<kind>:<id>`` (see ``jewelguard.core.events``). A room registers the check for
its kinds in its ``AppConfig.ready``::

    topic_rule_register(kind="store", check=store_topic_permitted)

A check gets the signed-in user and the id part, and answers True or False; it may read the
database (it runs in a thread, never on the event loop). A kind nobody registered is followed
by nobody, and anonymous visitors follow nothing.

Core's own kind is ``user``: ``user:<id>`` is followed by that user, and by superusers (the
administrators, who see everything through the admin site anyway). Nobody else, staff and
analysts included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jewelguard.core.events import topic_check

TopicCheck = Callable[[Any, str], bool]

_rules: dict[str, TopicCheck] = {}


def topic_rule_register(*, kind: str, check: TopicCheck) -> None:
    """Say who may follow topics ``<kind>:...``; a kind has one rule, registered once."""
    topic_check(topic=f"{kind}:x")
    if _rules.get(kind, check) is not check:
        raise ValueError(f"topic kind {kind!r} already has a rule")
    _rules[kind] = check


def topic_permitted(*, user: Any, topic: str) -> bool:
    """Whether ``user`` may follow ``topic`` (a well-formed topic, see ``topic_check``)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    kind, _sep, ident = topic.partition(":")
    rule = _rules.get(kind)
    return rule is not None and bool(rule(user, ident))


def user_topic_permitted(user: Any, ident: str) -> bool:
    """``user:<id>``: the user themself, and superusers."""
    return bool(user.is_superuser) or str(user.pk) == ident
