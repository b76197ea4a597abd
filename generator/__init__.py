"""Static site generator for the 钟楼区安全生产工作进展公示平台."""
