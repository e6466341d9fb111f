//! STUB: issue #3 implements the pure-Rust image path.
