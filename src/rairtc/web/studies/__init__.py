"""Study runs from the web app: queued in the database, run in the background, kept."""
