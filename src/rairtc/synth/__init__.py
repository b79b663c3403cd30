"""Synthetic registries whose refractoriness arises from dated records.

The generator writes scans, uptake, progression, activities and labs; it never stores a
label. Whether a patient is refractory is what the classifier finds in those records.
"""
