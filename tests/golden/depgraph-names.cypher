// depgraph: the service dependency graph for Neo4j; durations in ms
MERGE (s:Service {name: 'back\\slash'}) SET s.kind = 'service', s.spans = 2, s.errors = 1;
MERGE (s:Service {name: 'it\'s \"quoted\"'}) SET s.kind = 'service', s.spans = 1, s.errors = 0;
MERGE (s:Service {name: 'new\nline'}) SET s.kind = 'virtual', s.spans = 0, s.errors = 0;
MERGE (s:Service {name: 'tab\u0009and\u0001ctl café Ωmega'}) SET s.kind = 'service', s.spans = 1, s.errors = 0;
MERGE (a:Service {name: 'back\\slash'}) MERGE (b:Service {name: 'new\nline'}) MERGE (a)-[r:CALLS]->(b) SET r.calls = 1, r.errors = 1, r.total_duration = 5, r.avg_duration = 5, r.p95 = 5;
MERGE (a:Service {name: 'back\\slash'}) MERGE (b:Service {name: 'tab\u0009and\u0001ctl café Ωmega'}) MERGE (a)-[r:CALLS]->(b) SET r.calls = 1, r.errors = 0, r.total_duration = 3, r.avg_duration = 3, r.p95 = 3;
MERGE (a:Service {name: 'it\'s \"quoted\"'}) MERGE (b:Service {name: 'back\\slash'}) MERGE (a)-[r:CALLS]->(b) SET r.calls = 1, r.errors = 0, r.total_duration = 10, r.avg_duration = 10, r.p95 = 10;
MERGE (a:Service {name: 'tab\u0009and\u0001ctl café Ωmega'}) MERGE (b:Service {name: 'it\'s \"quoted\"'}) MERGE (a)-[r:CALLS]->(b) SET r.calls = 1, r.errors = 0, r.total_duration = 4, r.avg_duration = 4, r.p95 = 4;
MERGE (a:Service {name: 'it\'s \"quoted\"'}) MERGE (m:Method {name: 'GET\'s', type: 'HT\"TP'}) MERGE (a)-[r:INVOKES]->(m) SET r.calls = 1;
