"""写出: generated files to disk, the cache, the lock, and the site engines that build site/."""
