-- Population on the 100 m grid. The loader already derived the cell centre and the suppression flag.
with kilde as (
    select * from {{ source('raw', 'befolkning_kvadratnet') }}
)

select
    aar,
    trim(celle_id) as celle_id,
    trim(aldersgruppe) as aldersgruppe,
    personer,
    coalesce(undertrykt, personer is null) as undertrykt,
    celle_x_utm32,
    celle_y_utm32,
    kildefil,
    kildelinje
from kilde
