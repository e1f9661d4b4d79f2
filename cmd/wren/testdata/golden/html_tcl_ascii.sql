-- The less common modes: html, tcl, ascii; .show.
create table h(a, b);
insert into h values ('<b>&"x"</b>', 'it''s'), (NULL, 'tab	nl
end'), (1.5, 'ünï');
.mode html
select * from h;
.headers on
select * from h;
.mode tcl
select * from h;
.headers off
select * from h;
.mode ascii
select * from h;
.mode list
.nullvalue "N\tV"
.show
.mode
.mode tabs
.mode
.mode lines
.mode
.width 3 -4 0
.show
