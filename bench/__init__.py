"""`make bench`: measured, side by side, in one run. Results go to bench/results/."""
