//! Integration tests of the generator and the SDK live in `tests/tests/`.
