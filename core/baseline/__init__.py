"""Working Together 2018: the answers every partnership gets unless its plugin says otherwise.

Registered like any borough's plugin, into every partnership's plugin manager, with
``trylast=True`` on each rule hook so a borough's implementation is asked first. One
module per domain; ``core.plugins`` registers every module of this package, as it does a
borough's.
"""
