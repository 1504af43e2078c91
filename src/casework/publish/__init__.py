"""The static site: plan pages from the store, render them in parallel, write atomically."""
