-- args: -column
select 'a value longer than sixty characters, which -column does not wrap at all' as a, 1 as b;
.mode
select 'a value longer than sixty characters, which -column does not wrap at all' as a, 1 as b;
