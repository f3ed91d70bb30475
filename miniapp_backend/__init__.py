"""职工之家 WeChat platform: domain, infrastructure and the mini-program API."""
