"""Virtual Catalyst 9000 switches: an SSH lab that behaves like Cisco's licensing guide says a switch behaves.

This package never imports ``nornir_catlic``: it is an independent model of a switch, so that a bug shared
with the library cannot hide.
"""
