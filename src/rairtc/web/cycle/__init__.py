"""The department's weekly cycle: admissions (planned courses), I-131, the day-4 scan, the MDT."""
