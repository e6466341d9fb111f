//! STUB: issue #2 implements this module.
