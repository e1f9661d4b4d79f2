-- .read runs another script; .once sends one result to a file;
-- .output switches output until .output again.
.read testdata/golden/read_helper.inc
select 'after read';
.once /dev/null
select 'hidden by once';
select 'visible again';
.output /dev/null
select 'hidden by output';
.output
select 'back on stdout';
.read testdata/golden/no_such_file.inc
.print done
