"""The JSON API (django-ninja): the registry's records for scripts, with the pages' roles."""
