-- Every op id the service has ever stored, in one table that is not partitioned: the op log's own
-- primary key is (op_id, month) (a partitioned table's keys include its partition key), so it
-- cannot stop two pushes of one op id under streams of different months. A push claims its op ids
-- here (INSERT … ON CONFLICT DO NOTHING, in sorted order) after locking its stream heads; a
-- concurrent push of the same id waits for it and then skips it, as a global primary key would.
-- Retention reclaim never deletes from it: a purged op's id stays reserved for good.
CREATE TABLE op_ids (
  op_id text COLLATE "C" PRIMARY KEY
);

INSERT INTO op_ids (op_id) SELECT op_id FROM ops ORDER BY 1 ON CONFLICT DO NOTHING;
