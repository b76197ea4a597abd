"""读取 and 校验: every file under data/ read as the real file it is, checked, into typed models."""
