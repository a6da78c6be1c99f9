"""diemtin: a self-hostable Vietnamese news aggregation portal."""
