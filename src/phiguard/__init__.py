"""phiguard: lint healthcare social-media drafts for PHI and policy problems."""

__version__ = "0.1.0"
