//! Worker shim decisions (issue #4): routing, CORS, limits, error-to-HTTP mapping. STUB.
