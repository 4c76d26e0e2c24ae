"""The resource library: share, find, rate, save and curate teaching resources."""
