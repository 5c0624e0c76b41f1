"""The demo city (滨江市): its bureau, departments, districts and sample data."""
