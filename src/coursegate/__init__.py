"""coursegate: a self-hosted course platform speaking two vendors' REST dialects."""

__version__ = "0.1.0"
