"""One `ComponentResource` per capability; children are named `f"{name}-…"` and parented to
the component, and each registers only the outputs its consumers need."""
