"""Turn the strings that plans use into typed values; rules live in data/*.yaml."""
