/* Tap-to-enlarge for figures on narrow screens (issue 19). */
