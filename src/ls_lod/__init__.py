"""ls-lod: publish the La Strada Documentation Center catalogue as Linked Open Data."""

__version__ = "0.1.0"
