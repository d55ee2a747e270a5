SitegenFinder.receive({"enterprises": ["de-soeppan", "schoon-en-zo"]});
