"""生成 (files): charts, forms, calendars, open data, downloads and Word documents, all from
the evaluated model."""
