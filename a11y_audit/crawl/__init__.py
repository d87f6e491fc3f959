"""Site crawling: which URLs to audit (frontier), what a site allows (robots.txt, sitemaps), and how
gently to ask for them (politeness)."""
