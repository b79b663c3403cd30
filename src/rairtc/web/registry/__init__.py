"""The registry app: the data model's tables, pages, forms, import and the verdict cache."""
