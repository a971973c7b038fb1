"""The framework-free core of Attain.

Nothing in this package imports Django or the application (`attain.site`, `attain.apps`);
import-linter enforces it in CI. The application loads data, calls pure functions here, and
persists what they return.
"""
