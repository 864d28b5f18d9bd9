-- A rerun's project runs only some of the tests its collection finds (Project.selection): node ids, one per line.
ALTER TABLE PROJECT ADD COLUMN SELECTION CHARACTER LARGE OBJECT;
