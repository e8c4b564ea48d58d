"""Process utilities with no domain knowledge: CPU feature flags, a lock fair between clients,
GC freezing of start-up objects, a bounded memo and progress reporting."""
