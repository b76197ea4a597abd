"""生成 (pages): pure functions from the evaluated model to page contexts, and the templates."""
