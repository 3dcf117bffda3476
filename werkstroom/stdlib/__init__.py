"""The standard library: Business Central's record types, events, responses and MS- templates, by area."""
