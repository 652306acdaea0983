"""Events: the catalog of dated events (``catalog``), date intervals (``dates``) and the
linking engine that finds catalog events in sentences (``linking``)."""
