"""catlic's one durable store: journal records, portal exchanges, working files, host locks, poll handles.

:class:`Store` opens a database by URL (SQLite by default); :mod:`nornir_catlic.store.schema` holds every
table. The journal (:mod:`nornir_catlic.journal`), the file-drop portal's index (:mod:`nornir_catlic.portal`)
and the host locks (:mod:`nornir_catlic.locks`) keep their own APIs and write here.
"""

from nornir_catlic.store.database import Store, is_url

__all__ = ["Store", "is_url"]
