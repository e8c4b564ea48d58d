"""Vector indexes: the FAISS wrappers (exact flat search, IVF for posting corpora), the build
from the catalog, the on-disk store swapped in atomically, and the search helpers (batching
of concurrent one-query searches, int8 candidate search)."""
